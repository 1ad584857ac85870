/**
 * Registers the projen adapter as a file host. Cheap to load: projen itself is required only when a
 * model construct is created (and then only to check whether it lives in a projen project).
 * @internal
 */
import { registerFileHost } from '../core/file-hosts';

registerFileHost({
  adopt: (owner, files) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { adoptInProjen } = require('./generated-files') as typeof import('./generated-files');
    return adoptInProjen(owner, files);
  },
});
