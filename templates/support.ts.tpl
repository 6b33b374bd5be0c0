{{fieldsType}}{{codecs}}
/** Keys accepted in a {{className}} state: current keys and legacy names. */
const {{className}}$keys: readonly string[] = [{{keys}}];
