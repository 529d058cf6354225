/**
 * The app's form fields on Conform (see docs/conventions.md, "Forms"): `useAppForm` + `<AppForm>`,
 * and the fields, each with label, hint, the error next to it, and `aria-describedby` / `aria-invalid`.
 */
export { AppForm, submissionResultOf, useAppForm, type AppFormState } from "./form";
export { controlAria, controlProps, FieldError, FieldHint, FieldShell, useFieldError, type FieldMeta } from "./field";
export { AmountField, EmailField, FileField, fileSizeText, kronorText, OrgNumberField, TextareaField, TextField } from "./text-fields";
export { CheckboxField, RadioGroupField, SelectField, type Choice } from "./choice-fields";
export { errorText, formTexts, type FormMessages } from "./texts";
