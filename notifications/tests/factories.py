import factory

from notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory("accounts.tests.factories.UserFactory")
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "请查看。"
    url = "/workbench/"
