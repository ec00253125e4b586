"""The HTTP endpoint (`budgetkg serve`): the SPARQL 1.1 Protocol, the saved
queries as a typed API, pages to browse them, safe by default."""
