
/** The state of {@link {{className}}} ({{source}}:{{line}}). */
export type {{stateName}} = {{stateType}};

declare module '{{classModule}}' {
  interface {{className}} {
    stateDict(): {{stateName}};
    loadStateDict(state: {{stateName}}, options?: LoadOptions): LoadResult;
  }
}
{{support}}
export const {{stateName}}: GeneratedStateWithShims<{{className}}, {{stateName}}> = withShims<{{className}}, {{stateName}}>({
  className: {{classNameLiteral}},
  source: {{sourceLiteral}},
  fields: [{{fields}}],
  legacyKeys: [{{legacyKeys}}],
{{stateDict}}
{{prepareLoad}}
});
