from django.urls import path

from . import manage_views, token_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("me/", views.profile, name="profile"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    # personal API tokens
    path("me/tokens/", token_views.token_list, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    # organisers manage accounts
    path("manage/", manage_views.account_list, name="manage_list"),
    path("manage/new/", manage_views.account_create_view, name="manage_create"),
    path("manage/<int:pk>/", manage_views.account_edit, name="manage_edit"),
    path("manage/<int:pk>/deactivate/", manage_views.account_deactivate_view, name="manage_deactivate"),
    path("manage/<int:pk>/reactivate/", manage_views.account_reactivate_view, name="manage_reactivate"),
    path("manage/<int:pk>/reset-password/", manage_views.account_reset_password_view, name="manage_reset_password"),
    path("manage/<int:pk>/otp-code/", manage_views.account_otp_code_view, name="manage_otp_code"),
]
