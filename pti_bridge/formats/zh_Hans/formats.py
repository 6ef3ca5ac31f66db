"""Simplified Chinese as the Beijing office writes figures in business documents: 20,000.50, the
comma every three digits, as the charts (pti_bridge.charts) already do. Django's zh_Hans groups
by four with no separator (20000.50). Everything not set here is Django's."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
