/** The kind of account that reviews deployments to an environment. */
export enum EnvironmentReviewerType {
  /** A GitHub user, by numeric user id. */
  USER = 'user',
  /** A team of the owning organization, by numeric team id. */
  TEAM = 'team',
}

/**
 * A required reviewer of deployments to an environment. GitHub's API takes
 * numeric ids, not logins or slugs: find a user's with
 * `gh api users/<login> --jq .id`, a team's with
 * `gh api orgs/<org>/teams/<team-slug> --jq .id`.
 */
export class EnvironmentReviewer {
  /** A user, by numeric id (`gh api users/<login> --jq .id`). */
  public static user(id: number): EnvironmentReviewer {
    return new EnvironmentReviewer(EnvironmentReviewerType.USER, id);
  }

  /** A team, by numeric id (`gh api orgs/<org>/teams/<team-slug> --jq .id`). */
  public static team(id: number): EnvironmentReviewer {
    return new EnvironmentReviewer(EnvironmentReviewerType.TEAM, id);
  }

  /** User or team. */
  public readonly reviewerType: EnvironmentReviewerType;
  /** The numeric id. */
  public readonly id: number;

  private constructor(type: EnvironmentReviewerType, id: number) {
    this.reviewerType = type;
    this.id = id;
  }

  /** @internal */
  public _problem(): string | undefined {
    const kind = this.reviewerType === EnvironmentReviewerType.TEAM ? 'team' : 'user';
    const how = kind === 'team' ? 'gh api orgs/<org>/teams/<team-slug> --jq .id' : 'gh api users/<login> --jq .id';
    if (this.reviewerType !== EnvironmentReviewerType.USER && this.reviewerType !== EnvironmentReviewerType.TEAM) {
      return `reviewer type ${JSON.stringify(this.reviewerType)} is neither a user nor a team: use EnvironmentReviewer.user(id) or EnvironmentReviewer.team(id)`;
    }
    if (typeof this.id !== 'number' || !Number.isSafeInteger(this.id) || this.id <= 0) {
      return `reviewer ${JSON.stringify(this.id)} is not a numeric ${kind} id: GitHub takes ids, not names; find it with \`${how}\``;
    }
    return undefined;
  }
}
