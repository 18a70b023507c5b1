"""The checker itself finds a fault: a form field without a label, planted into a real page, fails the check
with the rule, its help and the selector (so a green suite means axe ran, not that it was silently skipped)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_planted_fault_is_found_and_reported(page, demo, axe):
    page.goto("/inloggen/")
    assert axe.check("Inloggen") == []
    page.evaluate("""() => {
        const veld = document.createElement("input");
        veld.id = "geplant-zonder-label";
        document.querySelector("main, body").appendChild(veld);
    }""")
    fouten = axe.check("Inloggen met geplante fout")
    assert [v["id"] for v in fouten] == ["label"]
    with pytest.raises(AssertionError) as melding:
        axe.geen_fouten()
    assert "[critical] label: Form elements must have labels" in str(melding.value)
    assert "#geplant-zonder-label" in str(melding.value)
