
/** The state of {@link {{className}}}, the class in {{source}}. */
export type {{stateName}} = {{stateType}};

declare module '{{classModule}}' {
  interface {{className}} {
    stateDict(): {{stateName}};
    loadStateDict(state: {{stateName}}, options?: {{loadOptions}}): {{loadResult}};
  }
}
{{support}}
export const {{stateName}}: {{generatedType}}<{{className}}, {{stateName}}> = {{defineState}}({
  className: {{classNameLiteral}},
  source: {{sourceLiteral}},
{{base}}  fields: [{{fields}}],
  legacyKeys: [{{legacyKeys}}],
  keys: [{{keys}}],
{{stateDict}}
{{loadFields}}
});
