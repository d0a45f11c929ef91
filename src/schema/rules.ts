// The schema stage's rule ids, in a module that imports nothing: the rule catalog names them
// for every command, and `dtkit compile` must not load the validator and the YAML parser to
// know them.

/** A node or property does not match its binding. */
export const SCHEMA_RULE = 'schema';
/** No binding documents a compatible string (dt-validate -m). */
export const UNMATCHED_RULE = 'schema-unmatched';
/** A binding cannot be read, parsed or compiled; the others still apply. */
export const SCHEMA_LOAD_RULE = 'schema-load';
/** Info: no binding folder was given or found; only dtkit's shipped bindings apply. */
export const NO_BINDINGS_RULE = 'schema-no-bindings';
/** Info: a binding of the user's (the kernel's) was extended with properties of dtkit's copy. */
export const EXTENDED_RULE = 'schema-extended';
