"""Valid progress-store entries shared by the store's tests (not a test module)."""

#: A flashcard entry in the store's FSRS layout, valid in every field.
CARD = {
    "state": "review",
    "step": None,
    "stability": 3.2,
    "difficulty": 5.0,
    "due": "2024-06-04T12:00:00+00:00",
    "last_review": "2024-06-01T12:00:00+00:00",
    "reviews": 2,
    "last_rating": "good",
}

#: A practice round entry (the ``practice`` section, version 3), valid in every field.
ROUND = {
    "kind": "practice",
    "number": 1,
    "size": 2,
    "scope": "met",
    "lessons": ["01_cnn"],
    "questions": ["01_cnn/iou-name", "01_cnn/pooling-effects"],
    "scores": {"01_cnn/iou-name": 0.5},
    "started": "2024-06-01T10:00:00+00:00",
    "last_seen": "2024-06-01T10:05:00+00:00",
}
