// jest setup for every test file: cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...)
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('cdktf').Testing.setupJest();
