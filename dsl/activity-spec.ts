// What the DSL knows about an activity type: its name, what it does, and the JSON Schema of its
// `with:` input. Pure data: dsl/ validates pipelines against it without importing any I/O code.
export type JsonSchema = {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null' | Array<string>;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  pattern?: string;
  /** 'path': a file path, confined to the project and data folders (dsl/paths.ts). */
  format?: string;
  default?: unknown;
  oneOf?: JsonSchema[];
};

export interface ActivitySpec {
  name: string;
  description: string;
  input: JsonSchema;
  /** Names of the output fields downstream stages may reference (for validation and docs). */
  outputs?: string[];
  /**
   * Why the outputs of an earlier execution must not stand in for this activity (it has effects
   * each run must have, or reads state that changes): `cache: true` on it is an error, and
   * `defaults.cache` leaves it out. Unset: cacheable.
   */
  notCacheable?: string;
}
