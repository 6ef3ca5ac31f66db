"""Checks a browser test runs on any page: axe-core (self-hosted, tests/e2e/axe/), boxes that
overlap, sideways scrolling, and visible text that is one of our own English msgids.

axe-core comes from npm, pinned by tests/e2e/axe/package-lock.json and installed with `npm ci`
when node_modules is missing or stale (the Mini Program's helper); it is injected from disk,
never from a CDN.
"""

import re
from functools import cache
from pathlib import Path

import pytest

from scripts import miniprogram_build
from tests.miniprogram.project import require_node

AXE = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA; best practices are advice, not failures.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")


@cache
def axe_source() -> str:
    """axe.min.js, after `npm ci` in tests/e2e/axe/ when its node_modules does not match the lock."""
    require_node()
    installed = miniprogram_build.install(AXE)
    if not installed.ok:
        pytest.fail(f"npm ci in {AXE} failed:\n{installed.tail()}", pytrace=False)
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page, *, excluded=()) -> list[dict]:
    """axe-core's critical and serious violations on the page, one dict per (rule, element).

    `excluded` holds (rule ids, CSS selector) pairs: a violation of one of those rules by an
    element inside something the selector matches is left out (someone else's widget, with the
    reason where the pairs are written). The script is evaluated through the DevTools protocol,
    which the pages' CSP does not govern.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        """async ([tags, excluded]) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            const left = (rule, target) => {
                const el = target.length === 1 ? document.querySelector(target[0]) : null;
                return !excluded.some(([rules, selector]) => rules.includes(rule) && el && el.closest(selector));
            };
            return result.violations.flatMap(v => v.nodes.filter(n => left(v.id, n.target)).map(n => ({
                rule: v.id, impact: n.impact || v.impact, help: v.help,
                target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary || ''})));
        }""",
        [AXE_TAGS, [[sorted(rules), selector] for rules, selector in excluded]],
    )
    return [v for v in results if v["impact"] in BLOCKING_IMPACTS]


def sideways_scroll(page) -> int:
    """How many pixels the document is wider than the window (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def hidden_sideways(page) -> list[str]:
    """Boxes whose content is wider than they are, the rest behind a scroll bar of their own
    (a list's last columns out of sight): "table#result_list: 180 px"."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *:not(select):not(textarea)')].filter(el => {
            const overflow = getComputedStyle(el).overflowX;
            return (overflow === 'auto' || overflow === 'scroll') && el.scrollWidth - el.clientWidth > 2
                && el.getClientRects().length > 0;
        }).map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}: `
            + `${el.scrollWidth - el.clientWidth} px out of sight`)"""
    )


# Form rows, the boxes in them, their controls and labels: two of a kind whose boxes overlap
# (a field slid under its neighbour, a label over an input) is a broken form.
OVERLAPS_JS = """(selectors) => {
    const seen = (el) => {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return r.width > 2 && r.height > 2 && style.visibility !== 'hidden' && !el.closest('.empty-form');
    };
    const name = (el) => {
        const id = el.id ? '#' + el.id : '';
        const cls = [...el.classList].slice(0, 3).map(c => '.' + c).join('');
        return el.tagName.toLowerCase() + id + cls;
    };
    const found = [];
    for (const selector of selectors) {
        const boxes = [...document.querySelectorAll(selector)].filter(seen)
            .map(el => ({el, r: el.getBoundingClientRect()}));
        for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i], b = boxes[j];
                if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
                const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
                const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
                if (x > 2 && y > 2) found.push(`${name(a.el)} and ${name(b.el)} overlap by ${Math.round(x)}x${Math.round(y)} px`);
            }
        }
    }
    return found;
}"""
OVERLAP_SELECTORS = [
    "form .form-row",
    "form .fieldBox",
    "form input:not([type=hidden]):not([type=checkbox]):not([type=radio]), form select, form textarea",
    "form label, form input:not([type=hidden]), form select, form textarea",
]


def overlapping_boxes(page) -> list[str]:
    return page.evaluate(OVERLAPS_JS, OVERLAP_SELECTORS)


# Every piece of text a person sees: text nodes of visible elements, the options of drop-downs
# and the words on buttons; form fields' own values are data, not ours.
VISIBLE_TEXTS_JS = """() => {
    const texts = [];
    const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || ['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION', 'NOSCRIPT'].includes(el.tagName)) continue;
        // English on purpose (lang="en") or data shown as it is (translate="no").
        if (!visible(el) || el.closest('[lang^=en], [translate=no]')) continue;
        const text = node.textContent.trim();
        const classed = el.closest('[class]');
        if (text) texts.push({text, where: classed ? classed.getAttribute('class') : el.tagName});
    }
    for (const option of document.querySelectorAll('select option')) {
        if (option.closest('[lang^=en]')) continue;
        if (visible(option.parentElement) || option.parentElement.classList.contains('select2-hidden-accessible')) {
            texts.push({text: option.textContent.trim(), where: 'option of ' + (option.parentElement.name || '')});
        }
    }
    for (const button of document.querySelectorAll('input[type=submit], input[type=button]')) {
        if (visible(button)) texts.push({text: button.value.trim(), where: 'button'});
    }
    return texts;
}"""
# Where a visible text is cut into pieces that may each be a label: "draft → submitted", "a: b".
PIECES_RE = re.compile(r"\s*(?:→|›|:|：|/|·|\||\(|\))\s*")
RAW_CODE_RE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")
# Codes read the same in Chinese: USD, FOB, HS.
CODE_RE = re.compile(r"^[A-Z0-9]{2,5}$")
# A column or field of English data ("field-name_en"): the exporter's words, shown as written.
ENGLISH_DATA_RE = re.compile(r"\bfield-\w+_en\b")


def visible_texts(page) -> list[dict]:
    return page.evaluate(VISIBLE_TEXTS_JS)


def english_leaks(texts: list[dict], english: dict[str, str], *, allowed=frozenset()) -> list[str]:
    """The visible texts (or their pieces) that are our English msgids, or raw snake_case codes.

    `english` maps each of our English strings (folded) to itself as written; `allowed` holds
    folded strings that may stay as they are.
    """
    leaks = []
    for item in texts:
        text = item["text"]
        if ENGLISH_DATA_RE.search(item["where"]):
            continue
        pieces = {text, *PIECES_RE.split(text)}
        for piece in pieces:
            piece = piece.strip().rstrip(":：.").strip()
            folded = piece.casefold()
            if not piece or folded in allowed or CODE_RE.match(piece):
                continue
            if folded in english or RAW_CODE_RE.match(piece):
                leaks.append(f"{piece!r} in {text[:80]!r} ({item['where'][:60]})")
                break
    return sorted(set(leaks))


# Chinese characters in a text node whose nearest lang="..." is not Chinese.
UNMARKED_CHINESE_JS = """() => {
    const cjk = /[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]/;
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || ['SCRIPT', 'STYLE'].includes(el.tagName) || !cjk.test(node.textContent)) continue;
        const lang = (el.closest('[lang]') || document.documentElement).getAttribute('lang') || '';
        if (!lang.toLowerCase().startsWith('zh')) found.push(node.textContent.trim().slice(0, 80) + ' (lang="' + lang + '")');
    }
    for (const field of document.querySelectorAll('input, textarea')) {
        const lang = (field.closest('[lang]') || document.documentElement).getAttribute('lang') || '';
        if (cjk.test(field.value) && !lang.toLowerCase().startsWith('zh')) found.push(`${field.name}: ${field.value.slice(0, 60)}`);
    }
    return found;
}"""


def unmarked_chinese(page) -> list[str]:
    """Chinese text on the page outside an element marked lang="zh-Hans" (or zh-*)."""
    return page.evaluate(UNMARKED_CHINESE_JS)
