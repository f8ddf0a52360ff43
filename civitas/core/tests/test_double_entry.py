from civitas.core.double_entry import FormStatus, form_status, payload_key


def status(*keyings):
    return form_status(keyings, keyer=lambda k: k[0], payload=lambda k: k[1])


def test_two_people_identical_keyings_agree_whatever_the_key_order():
    assert status(("ana", {"a": 1, "b": 2}), ("bob", {"b": 2, "a": 1})) is FormStatus.AGREED
    assert payload_key({"a": 1, "b": 2}) == payload_key({"b": 2, "a": 1})


def test_one_person_alone_never_agrees():
    assert status(("ana", {"a": 1})) is FormStatus.ONE_PERSON
    assert status(("ana", {"a": 1}), ("ana", {"a": 1})) is FormStatus.ONE_PERSON


def test_any_difference_blocks_even_with_a_matching_pair():
    assert status(("ana", {"a": 1}), ("bob", {"a": 2})) is FormStatus.DIFFERENT
    assert status(("ana", {"a": 1}), ("bob", {"a": 1}), ("eve", {"a": 2})) is FormStatus.DIFFERENT
