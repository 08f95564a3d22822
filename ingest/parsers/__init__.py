"""One module per document form; each turns lines or rows into ActionRecord values."""
