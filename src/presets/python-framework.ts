import { PYTHON_MODULE } from './text';

/** What kind of application a Python preset runs, which decides its default commands. */
export class PythonFramework {
  /**
   * A Django project (the package holding `settings.py` and `wsgi.py`, e.g. `mysite`).
   * Production: `gunicorn <project>.wsgi:application --bind 0.0.0.0:<port>`; development:
   * `python3 manage.py runserver 0.0.0.0:<port>`; `DJANGO_SETTINGS_MODULE=<project>.settings`;
   * `collectStatic` is available. Add `gunicorn` to your requirements.
   */
  public static django(project: string): PythonFramework {
    const problem = typeof project === 'string' && PYTHON_MODULE.test(project)
      ? undefined : `Django project ${JSON.stringify(project)} must be a Python package name such as "mysite"`;
    return new PythonFramework('django', {
      production: port => ['gunicorn', `${project}.wsgi:application`, '--bind', `0.0.0.0:${port}`],
      development: port => ['python3', 'manage.py', 'runserver', `0.0.0.0:${port}`],
      environment: { DJANGO_SETTINGS_MODULE: `${project}.settings` },
      problem,
    });
  }

  /**
   * Any WSGI application, as `module:attribute` (e.g. `app:application`), served by gunicorn
   * (with `--reload` in development). Add `gunicorn` to your requirements.
   */
  public static wsgi(application: string): PythonFramework {
    return new PythonFramework('wsgi', {
      production: port => ['gunicorn', application, '--bind', `0.0.0.0:${port}`],
      development: port => ['gunicorn', application, '--bind', `0.0.0.0:${port}`, '--reload'],
      problem: applicationProblem(application, 'WSGI'),
    });
  }

  /**
   * Any ASGI application, as `module:attribute` (e.g. `main:app` for FastAPI), served by uvicorn
   * (with `--reload` in development). Add `uvicorn` to your requirements.
   */
  public static asgi(application: string): PythonFramework {
    return new PythonFramework('asgi', {
      production: port => ['uvicorn', application, '--host', '0.0.0.0', '--port', `${port}`],
      development: port => ['uvicorn', application, '--host', '0.0.0.0', '--port', `${port}`, '--reload'],
      problem: applicationProblem(application, 'ASGI'),
    });
  }

  /** `django`, `wsgi` or `asgi`. */
  public readonly name: string;
  private readonly spec: FrameworkSpec;

  private constructor(name: string, spec: FrameworkSpec) {
    this.name = name;
    this.spec = spec;
  }

  /** Whether this is a Django project (collectstatic is available). */
  public get isDjango(): boolean {
    return this.name === 'django';
  }

  /** The default production command (exec form). @internal */
  public _productionCommand(port: number): string[] {
    return this.spec.production(port);
  }

  /** The default development command (exec form). @internal */
  public _developmentCommand(port: number): string[] {
    return this.spec.development(port);
  }

  /** Environment variables the framework needs. @internal */
  public _environment(): Record<string, string> {
    return { ...(this.spec.environment ?? {}) };
  }

  /** @internal */
  public _problem(): string | undefined {
    return this.spec.problem;
  }
}

interface FrameworkSpec {
  readonly production: (port: number) => string[];
  readonly development: (port: number) => string[];
  readonly environment?: Record<string, string>;
  readonly problem?: string;
}

function applicationProblem(application: string, kind: string): string | undefined {
  if (typeof application !== 'string') return `${kind} application must be a string such as "app:application"`;
  const [module, attribute, ...rest] = application.split(':');
  if (rest.length || !PYTHON_MODULE.test(module ?? '') || !/^[A-Za-z_][A-Za-z0-9_]*(?:\(\))?$/.test(attribute ?? '')) {
    return `${kind} application ${JSON.stringify(application)} must be "module:attribute", e.g. "app:application"`;
  }
  return undefined;
}
