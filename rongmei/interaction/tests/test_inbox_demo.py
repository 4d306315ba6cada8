"""The inbox's demo data: a few hundred items from every source, some
answered, some overdue, forwarded ones, a cluster made a clue, a surge; and
loading it twice adds nothing."""

import pytest
from django.utils import timezone

from rongmei.interaction import demo
from rongmei.interaction.models import Clue, Item

pytestmark = pytest.mark.django_db


def test_the_demo_inbox():
    first = demo.load()
    again = demo.load()
    assert first == again and first[Item] == Item.objects.count() >= 300
    assert set(Item.objects.values_list("source", flat=True)) >= {
        "wechat",
        "weibo",
        "douyin",
        "hotline",
        "letter",
        "phone",
    }
    assert Item.objects.filter(status="resolved").count() > 50
    assert Item.objects.filter(first_response_at__isnull=False).count() > 100
    assert 0 < Item.objects.filter(due_at__lt=timezone.now()).count() < Item.objects.count()
    assert Item.objects.filter(level="department").exists()
    assert Item.objects.filter(grade="urgent", external_id__startswith="demo-gas-").count() == 9
    clue = Clue.objects.get()
    assert clue.items.count() == 15 and all("路灯" in item.content for item in clue.items.all())
    assert Item.objects.filter(category_by="person").count() == 30
