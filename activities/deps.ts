import type Redis from 'ioredis';
import type { Config } from '../config';

/** What activity factories get from the worker: shared connections and configuration. */
export interface ActivityDeps {
  redis: Redis;
  config: Config;
}
