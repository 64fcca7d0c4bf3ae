"""GET /api/v1/calendar/working-days: public, the same function as the 公示, 409 for a year not entered."""

import pytest

URL = "/api/v1/calendar/working-days"


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "end"), [
    ("2025-01-23", 5, "2025-02-05"),  # over the Spring Festival
    ("2026-02-10", 5, "2026-02-14"),  # a make-up working Saturday counts
    ("2022-06-01", 5, "2022-06-08"),  # 端午节
])
def test_the_end_of_n_working_days(client, start, days, end):
    response = client.get(URL, {"start": start, "days": days})
    assert response.status_code == 200
    assert response.json() == {"start": start, "days": days, "end": end}


@pytest.mark.django_db
def test_a_year_not_entered_answers_409_naming_the_year(client):
    response = client.get(URL, {"start": "2027-05-06", "days": 5})
    assert response.status_code == 409
    assert "2027年节假日安排尚未录入" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"start": "2025-02-30", "days": 5}, {"start": "2025-01-23", "days": 0},
                                   {"start": "2025-01-23", "days": 9999}, {"start": "2025-01-23"}])
def test_bad_input_is_refused(client, query):
    assert client.get(URL, query).status_code == 422
