"""The organiser's floor plan: the shared SVG component with confirm, release and assign
actions, occupancy and revenue per hall, and stands edited without silent overwrites."""

from __future__ import annotations

from expo_app.exhibitors.models import Stand
from expo_app.exhibitors.services import reserve_stand
from expo_app.extensions import db
from expo_app.organiser.services import hall_figures


def stand(expo, index: int) -> Stand:
    db.session.expire_all()
    return db.session.get(Stand, expo.stands[index].id)


def test_the_plan_draws_every_stand_with_its_actions(organiser, expo):
    html = organiser.get(expo.url("floor-plan/")).get_data(as_text=True)
    assert html.count('class="stand stand-available"') == 3
    assert "Assign A-01" in html
    assert "Occupancy and revenue per hall" in html


def test_assigning_confirming_and_releasing_a_stand(organiser, expo, client):
    first = expo.stands[0]
    assigned = organiser.post(
        expo.url(f"floor-plan/{first.id}/assign"),
        data={"exhibitor": f"Anka Systems ({expo.anka.ref})"},
    )
    assert assigned.status_code == 303
    assert stand(expo, 0).status == "reserved" and stand(expo, 0).exhibitor_id == expo.anka.id
    organiser.post(expo.url(f"floor-plan/{first.id}/confirm"))
    assert stand(expo, 0).status == "confirmed"
    public = client.get(f"/e/{expo.slug}/exhibitors/{expo.anka.ref}").get_data(as_text=True)
    assert "A-01" in public
    organiser.post(expo.url(f"floor-plan/{first.id}/release"))
    assert stand(expo, 0).status == "available" and stand(expo, 0).exhibitor_id is None


def test_assigning_an_unknown_exhibitor_says_so_next_to_the_field(organiser, expo):
    response = organiser.post(
        expo.url(f"floor-plan/{expo.stands[1].id}/assign"), data={"exhibitor": "Nobody Ltd"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="assign-{expo.stands[1].id}-error"' in html
    assert 'value="Nobody Ltd"' in html
    assert stand(expo, 1).status == "available"


def test_a_taken_stand_cannot_be_assigned_twice(organiser, expo):
    reserve_stand(expo.stands[2].id, expo.borealis.id)
    db.session.commit()  # services flush; the request path (here, the test) commits
    response = organiser.post(
        expo.url(f"floor-plan/{expo.stands[2].id}/assign"),
        data={"exhibitor": expo.anka.ref},
        follow_redirects=True,
    )
    assert "is no longer free" in response.get_data(as_text=True)
    assert stand(expo, 2).exhibitor_id == expo.borealis.id


def test_hall_figures_count_stands_area_and_money(expo):
    reserve_stand(expo.stands[0].id, expo.anka.id)
    [hall] = hall_figures(expo.event)
    assert hall.stands["reserved"] == 1 and hall.stands["available"] == 2
    assert hall.area_total == 27 and hall.area_sold == 9
    assert hall.revenue_reserved == {"EUR": 2250} and hall.revenue_open == {"EUR": 4500}


def stand_form(expo, **changes) -> dict:
    values = {
        "ref": "A-01",
        "location": str(expo.hall.id),
        "width_m": "3",
        "depth_m": "3",
        "x_m": "1",
        "y_m": "1",
        "price": "2250",
        "currency": "EUR",
        "version": "1",
    }
    values.update(changes)
    return values


def test_adding_and_editing_a_stand(organiser, expo):
    added = organiser.post(
        expo.url("floor-plan/new"), data=stand_form(expo, ref="B-01", version="")
    )
    assert added.status_code == 303
    taken = organiser.post(
        expo.url("floor-plan/new"), data=stand_form(expo, ref="A-02", version="")
    )
    assert taken.status_code == 422
    assert "Another stand has this code." in taken.get_data(as_text=True)
    bad = organiser.post(
        expo.url("floor-plan/new"), data=stand_form(expo, width_m="-2", currency="E")
    )
    assert bad.status_code == 422
    assert 'id="width_m-error"' in bad.get_data(as_text=True)


def test_two_organisers_editing_one_stand_the_second_is_told(organiser, second_organiser, expo):
    page = expo.url(f"floor-plan/{expo.stands[0].id}")
    loaded = str(stand(expo, 0).version)  # both opened the form at this version
    saved = organiser.post(page, data=stand_form(expo, price="3000", version=loaded))
    assert saved.status_code == 303
    late = second_organiser.post(page, data=stand_form(expo, price="1000", version=loaded))
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "This stand was changed meanwhile" in html and "3,000 EUR" in html
    assert stand(expo, 0).price == 3000
