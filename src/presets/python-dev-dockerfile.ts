import type { Construct } from 'constructs';
import { PythonDockerfileBase } from './python-dockerfile-base';
import type { PythonDockerfileOptions } from './python-dockerfile-options';

/** Options of the development Python preset. */
export interface PythonDevDockerfileOptions extends PythonDockerfileOptions {
  /**
   * Copy these paths of the build context into the image too (the source is normally bind-mounted).
   * @default [] - nothing: mount the source with `docker run -v "$PWD:/app"`
   */
  readonly sources?: string[];
}

/**
 * The development Dockerfile of a Python application, `docker/Dockerfile.dev` by default: the same
 * `base` and `dependencies` stages as the production preset, with the development dependencies
 * (DependencyManifest dev files/extras/sections) added, and a `development` stage that expects the
 * source as a bind mount and runs the framework's development server (Django `runserver`,
 * gunicorn/uvicorn `--reload`) as the non-root user. No health check unless given.
 */
export class PythonDevDockerfile extends PythonDockerfileBase {
  constructor(scope: Construct, id: string, options: PythonDevDockerfileOptions = {}) {
    super(scope, id, options, false);
  }
}
