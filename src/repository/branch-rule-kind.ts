/** How branch rules are enforced. */
export enum BranchRuleKind {
  /**
   * A repository ruleset (`github_repository_ruleset`): one ruleset for all
   * the pipeline's branches, each required check bound to GitHub Actions'
   * app id. Needs a public repository or a paid plan (Pro, Team, Enterprise)
   * for a private one.
   */
  RULESET = 'ruleset',
  /**
   * Classic branch protection (`github_branch_protection`), one rule per
   * branch. Required checks are matched by name only (the resource cannot bind
   * them to an app). Same plan limits as rulesets for private repositories.
   */
  BRANCH_PROTECTION = 'branch-protection',
}
