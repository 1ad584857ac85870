import { INFRA_AND_SECRET_PATTERNS } from '../dockerfile/docker-ignore';

/**
 * What never belongs in the build context of a Python application: bytecode and tool caches,
 * virtual environments, local databases and uploads, secrets in `.env` files, VCS metadata, and (as in
 * every ignore file's defaults) the infrastructure code, Terraform state, private keys and certificates.
 * Patterns use the `.dockerignore` syntax (`**` matches any number of directories).
 */
export const PYTHON_IGNORE_PATTERNS: string[] = [
  '.git',
  '**/__pycache__',
  '**/*.py[cod]',
  '.venv',
  'venv',
  '**/.pytest_cache',
  '**/.mypy_cache',
  '**/.ruff_cache',
  '.tox',
  '.nox',
  '.coverage',
  '.coverage.*',
  'htmlcov',
  '**/*.egg-info',
  'dist',
  '**/*.sqlite3',
  'media',
  '.env',
  '.env.*',
  '**/*.log',
  'node_modules',
  '.idea',
  '.vscode',
  '**/.DS_Store',
  ...INFRA_AND_SECRET_PATTERNS,
];
