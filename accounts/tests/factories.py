import factory

from accounts.models import User

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


def coordinator_of(unit, **kwargs) -> User:
    from organisations.models import UnitMembership

    user = UserFactory(**kwargs)
    UnitMembership.objects.create(user=user, unit=unit)
    return user


def staff_of(office, **kwargs) -> User:
    from organisations.models import OfficeMembership

    user = UserFactory(**kwargs)
    OfficeMembership.objects.create(user=user, office=office)
    return user
