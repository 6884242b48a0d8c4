"""Lesson 07's exercises: each reference passes, a plausible mistake fails for the right
reason, and the untouched stub is "not attempted"."""

import numpy as np

from lesson_exercises import ex_07_transformers as ex

# --- scaled_dot_product_attention -------------------------------------------------------------


def test_attention_reference_passes():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = weights / weights.sum(axis=-1, keepdims=True)
        return weights @ v, weights

    assert ex.scaled_dot_product_attention.check(scaled_dot_product_attention).status == "correct"


def test_attention_without_scaling_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2)  # forgot the 1/sqrt(d)
        if mask is not None:
            scores = np.where(mask, scores, -1e9)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = weights / weights.sum(axis=-1, keepdims=True)
        return weights @ v, weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "item 0" in result.message  # the first case already differs: 2 keys, d = 2


def test_attention_softmax_over_queries_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        if mask is not None:
            scores = np.where(mask, scores, -1e9)
        weights = np.exp(scores)
        weights = weights / weights.sum(axis=-2, keepdims=True)  # normalised the wrong axis
        return weights @ v, weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "expected" in result.message


def test_attention_ignoring_mask_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = weights / weights.sum(axis=-1, keepdims=True)
        return weights @ v, weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "mask" in result.message  # the failing case is the one with a mask


def test_attention_weights_only_is_incorrect():
    def scaled_dot_product_attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        return weights / weights.sum(axis=-1, keepdims=True) @ v  # forgot to return the weights

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "incorrect"
    assert "tuple" in result.message


def test_attention_stub_is_not_attempted():
    def scaled_dot_product_attention(q, k, v, mask=None):
        """q (..., n, d), k (..., m, d), v (..., m, dv) -> (output, weights)."""
        ...  # your code here

    result = ex.scaled_dot_product_attention.check(scaled_dot_product_attention)
    assert result.status == "not attempted"


# --- decoder_mask -----------------------------------------------------------------------------


def test_decoder_mask_reference_passes():
    def decoder_mask(lengths, n):
        causal = np.tril(np.ones((n, n), dtype=bool))
        real_key = np.arange(n)[None, :] < np.asarray(lengths)[:, None]
        return causal[None] & real_key[:, None, :]

    assert ex.decoder_mask.check(decoder_mask).status == "correct"


def test_decoder_mask_causal_only_is_incorrect():
    def decoder_mask(lengths, n):
        return np.broadcast_to(np.tril(np.ones((n, n), dtype=bool)), (len(lengths), n, n))

    result = ex.decoder_mask.check(decoder_mask)
    assert result.status == "incorrect"


def test_decoder_mask_padding_along_the_query_axis_is_incorrect():
    def decoder_mask(lengths, n):
        causal = np.tril(np.ones((n, n), dtype=bool))
        real = np.arange(n)[None, :] < np.asarray(lengths)[:, None]
        return causal[None] & real[:, :, None]  # masks padded queries, not padded keys

    assert ex.decoder_mask.check(decoder_mask).status == "incorrect"


def test_decoder_mask_off_by_one_length_is_incorrect():
    def decoder_mask(lengths, n):
        causal = np.tril(np.ones((n, n), dtype=bool))
        real_key = np.arange(n)[None, :] <= np.asarray(lengths)[:, None]  # one key too many
        return causal[None] & real_key[:, None, :]

    assert ex.decoder_mask.check(decoder_mask).status == "incorrect"


def test_decoder_mask_stub_is_not_attempted():
    def decoder_mask(lengths, n):
        """(batch, n, n) booleans."""
        ...  # your code here

    assert ex.decoder_mask.check(decoder_mask).status == "not attempted"


# --- positional_embedding (transfer) ---------------------------------------------------------


def _layer_classes():
    """The learner's layer written with two Embedding tables, and a subclass of it whose
    ``call`` the tests below replace with plausible mistakes."""
    import keras

    class PositionalEmbedding(keras.layers.Layer):
        def __init__(self, vocab_size, d_model, max_length, **kwargs):
            super().__init__(**kwargs)
            self.tokens = keras.layers.Embedding(vocab_size, d_model)
            self.positions = keras.layers.Embedding(max_length, d_model)

        def call(self, ids):
            n = keras.ops.shape(ids)[1]
            return self.tokens(ids) + self.positions(keras.ops.arange(n))

    return keras, PositionalEmbedding


def test_positional_embedding_reference_passes():
    _, layer_class = _layer_classes()
    assert ex.positional_embedding.check(layer_class).status == "correct"


def test_positional_embedding_with_its_own_weights_passes():
    """Another correct layer: two add_weight tables, the positions a slice (as lesson 08's
    backbone does), the position table initialised to zeros."""
    import keras

    class PositionalEmbedding(keras.layers.Layer):
        def __init__(self, vocab_size, d_model, max_length, **kwargs):
            super().__init__(**kwargs)
            self.sizes = vocab_size, d_model, max_length

        def build(self, input_shape):
            vocab_size, d_model, max_length = self.sizes
            self.token_table = self.add_weight(shape=(vocab_size, d_model))
            self.position_table = self.add_weight(shape=(max_length, d_model), initializer="zeros")

        def call(self, ids):
            n, d_model = keras.ops.shape(ids)[1], self.sizes[1]
            positions = keras.ops.slice(self.position_table, (0, 0), (n, d_model))
            return keras.ops.take(self.token_table, ids, axis=0) + positions

    assert ex.positional_embedding.check(PositionalEmbedding).status == "correct"


def test_positional_embedding_reference_agrees_with_lesson_08s_backbone():
    """The check's reference (token row + position row) is what the course's GPT computes with
    Keras layers before its first block, on a full and on a shorter input."""
    import keras

    from course_utils import lm

    backbone = lm.build_backbone(lm.ModelConfig(vocab_size=11, context=7, width=6, depth=0), True)
    embed = keras.Model(backbone.input, backbone.get_layer("position_embedding").output)
    (tokens,) = backbone.get_layer("token_embedding").get_weights()
    (positions,) = backbone.get_layer("position_embedding").get_weights()
    ids = np.random.default_rng(1).integers(0, 11, size=(2, 7)).astype("int32")
    for n in (7, 3):
        got = keras.ops.convert_to_numpy(embed(ids[:, :n]))
        np.testing.assert_allclose(got, ex._embedded(ids[:, :n], tokens, positions), atol=1e-6)


def _assert_incorrect(layer_class, *words: str) -> None:
    """The check calls ``layer_class`` incorrect, with each of ``words`` in its reason."""
    result = ex.positional_embedding.check(layer_class)
    assert result.status == "incorrect"
    for phrase in words:
        assert phrase in result.message


def test_positional_embedding_without_positions_is_incorrect():
    keras, _ = _layer_classes()

    class PositionalEmbedding(keras.layers.Layer):  # a bag of tokens: no position table
        def __init__(self, vocab_size, d_model, max_length, **kwargs):
            super().__init__(**kwargs)
            self.tokens = keras.layers.Embedding(vocab_size, d_model)

        def call(self, ids):
            return self.tokens(ids)

    _assert_incorrect(PositionalEmbedding, "expected exactly two tables")


def test_positional_embedding_looked_up_by_token_is_incorrect():
    _, layer_class = _layer_classes()

    class PositionalEmbedding(layer_class):
        def call(self, ids):
            return self.tokens(ids) + self.positions(ids)  # the token's id, not its position

    _assert_incorrect(PositionalEmbedding, "same vector at every position")


def test_positional_embedding_scaled_like_the_lessons_sinusoids_is_incorrect():
    keras, layer_class = _layer_classes()

    class PositionalEmbedding(layer_class):
        def call(self, ids):
            n = keras.ops.shape(ids)[1]
            return self.tokens(ids) * np.sqrt(6.0) + self.positions(keras.ops.arange(n))

    _assert_incorrect(PositionalEmbedding, "multiplied by sqrt(d_model)")


def test_positional_embedding_with_the_whole_table_fails_on_a_short_input():
    keras, layer_class = _layer_classes()

    class PositionalEmbedding(layer_class):
        def call(self, ids):  # every row of the table, whatever the length
            return self.tokens(ids) + self.positions(keras.ops.arange(7))

    _assert_incorrect(PositionalEmbedding, "shape (2, 3)", "shorter than max_length=7")


def test_positional_embedding_with_the_last_rows_fails_on_a_short_input():
    keras, layer_class = _layer_classes()

    class PositionalEmbedding(layer_class):
        def call(self, ids):  # positions counted from the end: a prefix changes its vectors
            n = keras.ops.shape(ids)[1]
            return self.tokens(ids) + self.positions(keras.ops.arange(7 - n, 7))

    _assert_incorrect(PositionalEmbedding, "right on 7 tokens, wrong on the first 3 of them alone")


def test_positional_embedding_with_the_static_length_fails_in_a_model_of_any_length():
    keras, layer_class = _layer_classes()

    class PositionalEmbedding(layer_class):
        def call(self, ids):  # ids.shape[1] is None while a model for any length is built
            return self.tokens(ids) + self.positions(keras.ops.arange(ids.shape[1]))

    _assert_incorrect(PositionalEmbedding, "ids.shape[1] is None")


def test_positional_embedding_instance_is_incorrect():
    _, layer_class = _layer_classes()
    result = ex.positional_embedding.check(layer_class(11, 6, 7))
    assert result.status == "incorrect"
    assert "pass the class itself" in result.message


def test_positional_embedding_not_a_layer_is_incorrect():
    class PositionalEmbedding:  # forgot to subclass keras.layers.Layer
        def __init__(self, vocab_size, d_model, max_length):
            self.sizes = vocab_size, d_model, max_length

    _assert_incorrect(PositionalEmbedding, "must be a subclass of keras.layers.Layer")


def test_positional_embedding_stub_is_not_attempted():
    import keras

    class PositionalEmbedding(keras.layers.Layer):
        """Token ids (batch, n) -> token vectors + position vectors."""

        def __init__(self, vocab_size, d_model, max_length, **kwargs):
            super().__init__(**kwargs)
            ...  # your code here

        def call(self, ids): ...  # your code here

    assert ex.positional_embedding.check(PositionalEmbedding).status == "not attempted"


# --- teacher_forcing (transfer) ---------------------------------------------------------------


def test_teacher_forcing_reference_passes():
    def teacher_forcing(target_ids, start_id, end_id):
        n = len(target_ids)
        start = np.full((n, 1), start_id, dtype=target_ids.dtype)
        end = np.full((n, 1), end_id, dtype=target_ids.dtype)
        return (
            np.concatenate([start, target_ids], axis=1),
            np.concatenate([target_ids, end], axis=1),
        )

    assert ex.teacher_forcing.check(teacher_forcing).status == "correct"


def test_teacher_forcing_with_roll_is_incorrect():
    def teacher_forcing(target_ids, start_id, end_id):
        shifted = np.roll(target_ids, 1, axis=1)
        shifted[:, 0] = start_id
        return shifted, target_ids  # keeps the old width and loses the last token

    result = ex.teacher_forcing.check(teacher_forcing)
    assert result.status == "incorrect"
    assert "expected (1, 3), got (1, 2)" in result.message


def test_teacher_forcing_swapped_is_incorrect():
    def teacher_forcing(target_ids, start_id, end_id):
        n = len(target_ids)
        start = np.full((n, 1), start_id, dtype=target_ids.dtype)
        end = np.full((n, 1), end_id, dtype=target_ids.dtype)
        return (
            np.concatenate([target_ids, end], axis=1),
            np.concatenate([start, target_ids], axis=1),
        )

    result = ex.teacher_forcing.check(teacher_forcing)
    assert result.status == "incorrect"
    assert "item 0" in result.message


def test_teacher_forcing_stub_is_not_attempted():
    def teacher_forcing(target_ids, start_id, end_id):
        """(n, T) ids -> (decoder_input, decoder_target)."""
        ...  # your code here

    assert ex.teacher_forcing.check(teacher_forcing).status == "not attempted"


# --- beam_search (transfer) -------------------------------------------------------------------


def _beam(log_probs, steps, k):
    beams = [((), 0.0)]
    for _ in range(steps):
        candidates = [
            (prefix + (token,), score + float(lp))
            for prefix, score in beams
            for token, lp in enumerate(log_probs(prefix))
        ]
        candidates.sort(key=lambda c: (-c[1], c[0]))
        beams = candidates[:k]
    return beams[0][0]


def test_beam_search_reference_passes():
    assert ex.beam_search.check(_beam).status == "correct"


def test_beam_search_greedy_is_incorrect():
    def beam_search(log_probs, steps, k):
        prefix = ()
        for _ in range(steps):
            prefix += (int(np.argmax(log_probs(prefix))),)
        return prefix

    result = ex.beam_search.check(beam_search)
    assert result.status == "incorrect"
    assert "greedy trap" in result.message and "expected 1, got 0" in result.message


def test_beam_search_keeping_only_the_last_step_score_is_incorrect():
    def beam_search(log_probs, steps, k):
        beams = [()]
        for _ in range(steps):
            scored = [(p + (t,), float(lp)) for p in beams for t, lp in enumerate(log_probs(p))]
            scored.sort(key=lambda c: (-c[1], c[0]))  # forgets the prefix's own score
            beams = [p for p, _ in scored[:k]]
        return beams[0]

    assert ex.beam_search.check(beam_search).status == "incorrect"


def test_beam_search_table_model_is_deterministic_and_normalised():
    model = ex.TableModel("seed 3", 4, seed=3)
    first, again = model((1, 2)), model((1, 2))
    assert np.array_equal(first, again)
    assert np.isclose(np.exp(first).sum(), 1.0)
    assert repr(model) == "TableModel('seed 3')"


def test_beam_search_stub_is_not_attempted():
    def beam_search(log_probs, steps, k):
        """Beam search."""
        ...  # your code here

    assert ex.beam_search.check(beam_search).status == "not attempted"
