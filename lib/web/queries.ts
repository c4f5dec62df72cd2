import { cache } from 'react';
import { environmentNameMap } from '@/lib/server/environments/environment-names';

// Read-only lookups shared by layouts; cached per request.
export const environmentNames = cache(environmentNameMap);
