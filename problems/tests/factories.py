import factory

from core.crypto import encrypt_text
from problems.models import Category, Problem, Source, Status
from problems.services import receipt_digest


class ProblemFactory(factory.django.DjangoModelFactory):
    """A problem straight in the ledger; pass ``status`` and ``responsible_unit`` to start further on."""

    class Meta:
        model = Problem

    class Params:
        receipt = None  # a receipt code the problem answers to

    title = factory.Sequence(lambda n: f"问题{n}")
    description = factory.Sequence(lambda n: f"青年科技工作者反映的第{n}个问题：张三的报销很难。")
    category = Category.FUNDING
    source = Source.ONLINE
    status = Status.RAISED
    contact_encrypted = factory.LazyFunction(lambda: encrypt_text("13812345678"))
    receipt_digest = factory.LazyAttribute(lambda o: receipt_digest(o.receipt) if o.receipt else "")
