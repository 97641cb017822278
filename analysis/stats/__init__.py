"""Stage 3, counting: units, incidence, the co-occurrence model, measures, resampling,
ranking and evaluation, all pure functions over the tidy tables."""
