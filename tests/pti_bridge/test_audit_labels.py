"""Staff read the audit trail in Chinese: every action the services record has a label and a translation."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from pti_bridge.labels import AUDIT_ACTION_LABELS, audit_action_label

ROOT = Path(__file__).resolve().parents[2]


def _recorded_actions() -> set[str]:
    """Action codes named in the modules that write audit rows (services and their helpers)."""
    actions = set()
    for path in [*ROOT.glob("*/services.py"), *ROOT.glob("*/workflow.py"), ROOT / "pti_bridge" / "outbox.py"]:
        source = path.read_text(encoding="utf-8")
        names = set(re.findall(r'action="([a-z_]+)"', source))
        if path.name == "workflow.py":  # its status transitions record f"inquiry_{action}"
            names = {
                name if name.startswith(("inquiry_", "message_", "note_")) else f"inquiry_{name}" for name in names
            }
        actions |= names
    return actions


def test_every_recorded_action_has_a_label():
    recorded = _recorded_actions()

    assert {"publish", "verify", "inquiry_forward", "message_translate"} <= recorded
    assert sorted(recorded - set(AUDIT_ACTION_LABELS)) == []


@pytest.mark.parametrize("action", sorted(AUDIT_ACTION_LABELS))
def test_every_label_reads_in_chinese(action):
    with translation.override("zh-hans"):
        label = str(audit_action_label(action))

    assert label != action
    assert re.search(r"[\u4e00-\u9fff]", label), label
