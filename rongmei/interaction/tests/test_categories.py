"""The message categories: six to start with, editable by the administrator."""

import pytest
from django.urls import reverse

from rongmei.core import roles
from rongmei.interaction.models import MessageCategory

pytestmark = pytest.mark.django_db


def test_six_categories_to_start_with_offered_on_the_form_in_its_language(citizen, client):
    names = list(MessageCategory.objects.values_list("name", flat=True))
    assert names == ["咨询", "建议", "投诉", "求助", "表扬", "其他"]
    assert ">投诉</option>" in client.get(citizen.url).content.decode()
    assert ">Complaint</option>" in client.get(reverse("interaction:submit_en")).content.decode()


def test_the_administrator_edits_the_list_and_inactive_ones_are_not_offered(client, role_users, citizen):
    client.force_login(role_users[roles.ADMINISTRATOR])
    response = client.post(
        reverse("message_categories:add"),
        {"name": "举报", "name_en": "Report", "sort_order": 6, "is_active": "on"},
    )
    assert response.status_code == 302 and MessageCategory.objects.filter(name="举报").exists()
    MessageCategory.objects.filter(name="表扬").update(is_active=False)
    form = client.get(citizen.url).content.decode()
    assert ">举报</option>" in form and ">表扬</option>" not in form
    client.force_login(role_users[roles.OPERATOR])
    assert client.get(reverse("message_categories:add")).status_code in (302, 403)
