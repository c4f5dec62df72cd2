// The component tier (vitest project `component`): React components and hooks rendered into
// happy-dom by @testing-library/react. Vitest runs without globals, so Testing Library cannot
// register its own cleanup: unmount after each test here, so one test's DOM never leaks into the next.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// React warns unless the environment says it supports act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
});
