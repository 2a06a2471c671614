// Stryker's suite only: a property that fails ends at its first counterexample instead of shrinking
// it. Shrinking reruns the property hundreds of times to find the smallest failing input, which a
// mutant's run does not need (any failure kills it); with shrinking, a mutant that broke a property
// ran past Stryker's timeout on a loaded 2-core machine and was counted as a timeout, not a kill.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
