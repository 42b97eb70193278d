extension Family {
  /// Every univariate family, in the order the reference lists them. A family's file
  /// adds it here; a test checks that every file under `Families/` is listed.
  public static let all: [Family] = [
    .normal, .lognormal, .skewNormal, .uniform, .beta, .gamma, .invGamma, .exponential, .cauchy, .halfNormal,
    .halfCauchy, .studentT, .laplace, .weibull, .vonMises, .bernoulli, .bernoulliLogit, .binomial, .binomialLogit,
    .betaBinomial, .poisson, .poissonLog, .geometric, .negativeBinomial, .uniformDiscrete, .flat, .halfFlat,
  ]
}
