/**
 * Registers the projen adapter as a file host. Cheap to load: projen itself is required only when a
 * model construct is created (and then only to check whether it lives in a projen project).
 * @internal
 */
import { registerFileHost } from '../core/file-hosts';
import { registerImageLockProvider } from '../core/image-locks';
import { registerProjectFactsProvider } from '../core/project-facts';

registerFileHost({
  adopt: (owner, files) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { adoptInProjen } = require('./generated-files') as typeof import('./generated-files');
    return adoptInProjen(owner, files);
  },
});

registerProjectFactsProvider({
  pythonFacts: (scope) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { pythonFactsInProjen } = require('./python-facts') as typeof import('./python-facts');
    return pythonFactsInProjen(scope);
  },
});

registerImageLockProvider({
  lockImage: (reference, resolved, owner) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { lockImageInProjen } = require('./lock-state') as typeof import('./lock-state');
    return lockImageInProjen(reference, resolved, owner);
  },
});
