"""The English form and lookup under /en/interaction/, in English."""

import pytest

from rongmei.interaction.models import Message, MessageCategory
from rongmei.interaction.tests.conftest import Citizen, tracking_number

pytestmark = pytest.mark.django_db


def test_the_english_form_works_in_english(client):
    citizen = Citizen(client, language="en")
    form = client.get(citizen.url).content.decode()
    assert '<html lang="en">' in form and "Send a message" in form and "What is" in form
    response = citizen.send("The street light at my gate is broken.", category=MessageCategory.objects.get(name="投诉"))
    assert response.status_code == 200 and "Tracking number" in response.content.decode()
    number = tracking_number(response)
    assert Message.objects.get(tracking_number=number).language == "en"
    page = citizen.look_up(number).content.decode()
    assert "Received, awaiting a reply" in page and "Complaint" in page
    assert "There is no message" in citizen.look_up("XC20260101-ABCDEF").content.decode()


def test_english_errors_are_in_english(client):
    citizen = Citizen(client, language="en")
    page = citizen.send("x" * 2001).content.decode()
    assert "A message may have at most 2000 characters (yours has 2001)." in page


def test_the_pages_sit_in_the_websites_interaction_column_and_switch_language(client):
    page = client.get("/hudong/chaxun/?no=XC20260101-ABCDEF").content.decode()
    assert 'aria-current="page">互动交流<' in page
    assert 'href="/en/interaction/lookup/?no=XC20260101-ABCDEF"' in page and 'hreflang="en"' in page
