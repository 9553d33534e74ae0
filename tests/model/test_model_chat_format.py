"""The chat turn format: one cut rule for replies, prompts that end where the model answers."""

from hyper_prime_spiral.model.chat_format import (
    AI_ROLE,
    USER_ROLE,
    ChatFormatError,
    Turn,
    build_prompt,
    clean_reply,
    format_conversation,
    parse_chat_corpus,
)


def test_reply_is_cut_at_end_of_turn_and_at_a_new_user_line_in_any_case():
    assert clean_reply(" Blue light scatters.<eot>User: more") == "Blue light scatters."
    assert clean_reply(" Sure\nUser: again") == "Sure"
    assert clean_reply(" sure\nuser: again") == "sure"


def test_user_marker_inside_a_line_is_not_a_turn():
    assert clean_reply(" a HUser: b") == "a HUser: b"


def test_a_second_ai_turn_ends_the_reply_too():
    assert clean_reply(" i am a small model.\nai: a language model predicts") == "i am a small model."
    assert clean_reply(" Sure.\nAI: and more\nUser: x") == "Sure."
    assert clean_reply(" the air: thin") == "the air: thin"  # "ai:" inside a line is text


def test_prompt_ends_with_the_ai_marker_and_round_trips_through_the_parser():
    history = [Turn(USER_ROLE, "hi"), Turn(AI_ROLE, "Hello!")]
    prompt = build_prompt(history, "why is the sky blue?")
    assert prompt.endswith("User: why is the sky blue?\nAI:")
    text = prompt + " Air scatters blue light.<eot>\n"
    [conversation] = parse_chat_corpus(text)
    assert conversation[-1] == Turn(AI_ROLE, "Air scatters blue light.")
    assert format_conversation(conversation) == text


def test_parser_names_the_bad_line():
    try:
        parse_chat_corpus("User: hi\nBot: hello<eot>\n")
    except ChatFormatError as exc:
        assert "line 2" in str(exc)
    else:
        raise AssertionError("a bad role was accepted")


def test_readable_reply_shows_finished_calls_as_engine_lines_and_hides_unfinished_ones():
    from hyper_prime_spiral.model.chat_format import readable_reply

    reply = " <calc>isprime 91</calc><result>91 is not prime: 91 = 7 x 13</result> No, 91 = 7 x 13."
    assert (
        readable_reply(reply)
        == " [prime engine: isprime 91 -> 91 is not prime: 91 = 7 x 13] No, 91 = 7 x 13."
    )
    assert readable_reply("Sure. <calc>factor 9") == "Sure. "
    assert readable_reply("Sure. <ca") == "Sure. "
    assert readable_reply("1 < 2") == "1 < 2"


def test_readable_reply_only_grows_as_the_reply_is_streamed():
    from hyper_prime_spiral.model.chat_format import readable_reply

    reply = (
        "<calc>isprime 7</calc><result>7 is prime</result> Yes. "
        "<calc>factor 91</calc> <result>91 = 7 x 13</result> and 91 = 7 x 13."
    )
    shown = ""
    for end in range(len(reply) + 1):
        now = readable_reply(reply[:end])
        assert now.startswith(shown), (reply[:end], shown, now)
        shown = now
    first, second = "[prime engine: isprime 7 -> 7 is prime] ", "[prime engine: factor 91 -> 91 = 7 x 13] "
    assert shown == f"{first}Yes. {second}and 91 = 7 x 13."


def test_only_a_prompt_inside_an_ai_turn_forbids_an_answer_line():
    from hyper_prime_spiral.model.chat_format import answers_a_user

    assert not answers_a_user(build_prompt([], "is 7 prime?"))  # every chat prompt ends in "AI:"
    assert not answers_a_user("User: hi\nai: well,")
    assert answers_a_user("hello")
    assert answers_a_user("The air: thin")  # "air:" is not a role line
    assert answers_a_user("User: hi\nAI: Hello!<eot>\nUser: why?")
    assert answers_a_user("User: hi\nAI: Hello!<eot>\n")


def test_the_open_ai_turn_is_the_prompt_from_its_last_ai_line():
    from hyper_prime_spiral.model.chat_format import open_ai_turn

    assert open_ai_turn("User: hi\nAI: <calc>factor 6</calc><result>6 = 2 x 3</result>") == (
        "AI: <calc>factor 6</calc><result>6 = 2 x 3</result>"
    )
    assert open_ai_turn("AI: well") == "AI: well"
    assert open_ai_turn("User: hi\nAI: done<eot>\nUser: again") == ""
    assert open_ai_turn("hello") == ""
