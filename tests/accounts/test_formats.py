from django.template import Context, Template
from django.utils import translation

NUMBER = Template("{% load humanize %}{{ n|intcomma }}")


def test_vietnamese_numbers_group_thousands_with_dots_and_decimals_with_commas():
    with translation.override("vi"):
        assert NUMBER.render(Context({"n": 5349})) == "5.349"
        assert NUMBER.render(Context({"n": 24.71})) == "24,71"


def test_english_numbers_group_thousands_with_commas():
    with translation.override("en"):
        assert NUMBER.render(Context({"n": 5349})) == "5,349"
