"""Stage 4, reports: the declared report set, notebook helpers, the one place data becomes
HTML (`presentation`), figures, and rendering with papermill and nbconvert."""
