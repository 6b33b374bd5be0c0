
/** {{className}}'s persisted fields as the generated code reads and writes them (private ones included). */
type {{className}}$Fields = {{viewBody}};
