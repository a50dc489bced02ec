# The command line: validate, chat and the messages around them.

## Variables: $value is the normalized value; $field, $region and $lang what the operator typed; $url a database address.

validate-accept = Accepted. Normalized value: { $value }
validate-warn = Accepted with warnings. Normalized value: { $value }
validate-review = Accepted, for review by a person. Normalized value: { $value }
validate-reject = Rejected.
cli-unknown-field = Unknown field “{ $field }”. The fields are: phone, display-name, business-id, logo, email, store-account, category, description.
cli-unknown-region = Unknown region “{ $region }”: use a two-letter country code such as BR or US.
cli-unknown-language = Unknown language “{ $lang }”: use en or pt-BR.
cli-database-unavailable = Couldn’t open the database at { $url }. Check the address (--database-url or WABA_DATABASE_URL) and that the server is running.
console-saved = Your answers are saved. Run the chat again to continue where you left off.
error-internal = Something went wrong on our side; your answers are safe. Please try again in a moment.
