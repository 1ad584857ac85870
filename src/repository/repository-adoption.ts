import { Repository } from '@cdktf/provider-github/lib/repository';
import type { Construct } from 'constructs';

/** Attributes of `github_repository` that adoption never changes. */
const REPOSITORY_IGNORED_ATTRIBUTES = [
  'description', 'homepage_url', 'private', 'visibility', 'has_issues', 'has_discussions', 'has_projects', 'has_wiki',
  'has_downloads', 'is_template', 'allow_merge_commit', 'allow_squash_merge', 'allow_rebase_merge', 'allow_auto_merge',
  'allow_update_branch', 'squash_merge_commit_title', 'squash_merge_commit_message', 'merge_commit_title',
  'merge_commit_message', 'delete_branch_on_merge', 'web_commit_signoff_required', 'auto_init', 'gitignore_template',
  'license_template', 'archived', 'topics', 'vulnerability_alerts', 'ignore_vulnerability_alerts_during_read',
  'security_and_analysis', 'pages', 'template', 'default_branch', 'fork', 'source_owner', 'source_repo',
];

/** Adopts the existing repository: imported, never created, replaced or destroyed. @internal */
export function adoptRepository(scope: Construct, name: string): Repository {
  const repo = new Repository(scope, 'Repository', {
    name,
    archiveOnDestroy: true,
    lifecycle: { preventDestroy: true, ignoreChanges: REPOSITORY_IGNORED_ATTRIBUTES },
  });
  // An import block: the first apply adopts the existing repository instead of creating one.
  repo.importFrom(name);
  return repo;
}
