# A linha de comando: validate, chat e as mensagens em volta deles.

## Variables: $value is the normalized value; $field, $region and $lang what the operator typed; $url a database address.

validate-accept = Aceito. Valor normalizado: { $value }
validate-warn = Aceito com avisos. Valor normalizado: { $value }
validate-review = Aceito, sujeito a revisão por uma pessoa. Valor normalizado: { $value }
validate-reject = Recusado.
cli-unknown-field = Campo desconhecido: “{ $field }”. Os campos são: phone, display-name, business-id, logo, email, store-account, category, description.
cli-unknown-region = Região desconhecida: “{ $region }”. Use o código de país com duas letras, como BR ou US.
cli-unknown-language = Idioma desconhecido: “{ $lang }”. Use en ou pt-BR.
cli-database-unavailable = Não foi possível abrir o banco de dados em { $url }. Confira o endereço (--database-url ou WABA_DATABASE_URL) e se o servidor está no ar.
console-saved = Suas respostas estão salvas. Rode o chat de novo para continuar de onde parou.
error-internal = Algo deu errado do nosso lado, mas suas respostas estão seguras. Tente de novo em instantes.
