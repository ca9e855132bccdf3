"""Column values that trip up SQL text building: the migrations' trigger proofs write them."""

from hypothesis import strategies as st

ODD_VALUES = st.one_of(
    st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.text(),
    st.sampled_from(["", "O'Neil", 'a "q" \\ \n\t\x01', "张三", "{\"json\": [1]}", "😀"]))
