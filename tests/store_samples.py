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
