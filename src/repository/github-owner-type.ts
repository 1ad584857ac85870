/** Whether the repository owner is a personal account or an organization (it changes GitHub's package URLs). */
export enum GithubOwnerType {
  /** A personal account: packages live under `github.com/users/<owner>`. */
  USER = 'users',
  /** An organization: packages live under `github.com/orgs/<owner>`. */
  ORGANIZATION = 'orgs',
}
