"""The reassessment form (issue 18) shows one piece of customer text, the name: every hostile
string as a customer's name, sanitised on entry and written raw, drawn on the form fully revealed
(so the text itself is drawn, not its mask), beside the score of every answer picked: nothing
raw on screen."""

from __future__ import annotations

from agent_tui.domain.masking import Disclosure, Tier
from agent_tui.store import Store
from agent_tui.store.customers import CustomerRepository
from screens.reassess import ReassessScreen
from screens.search import SearchScreen
from tests.functional.test_hostile_text import hostile_store  # noqa: F401 (a fixture)
from tests.functional.test_reassess import QUESTIONNAIRE
from tests.screen import unsafe_segments, wait_for, wait_for_screen


async def test_the_form_draws_hostile_names_safely(hostile_store, make_app):  # noqa: F811
    path, sanitised, raw = hostile_store
    repository = CustomerRepository(Store.open(path).connection())
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SearchScreen)
        for customer_id, item in sanitised + raw:
            customer = repository.customer(customer_id)
            app.disclosures[customer_id] = Disclosure(Tier.FULL)
            form = ReassessScreen(customer, QUESTIONNAIRE)
            app.push_screen(form)
            await wait_for(pilot, lambda form=form: app.screen is form and form.is_mounted)
            form.answers = {question.id: "B" for question in QUESTIONNAIRE.questions}
            form._status()  # all answered: the name on the line with the score and level
            await pilot.pause()  # drawn
            assert unsafe_segments(app) == [], f"{item['what']} as {customer_id}'s name"
            await pilot.press("f3")
            await wait_for_screen(pilot, SearchScreen)
