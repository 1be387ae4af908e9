//! `run --uncertainty N` from the command line: outputs, reproducibility
//! across thread counts, no change for plain scenarios, and bad input.
