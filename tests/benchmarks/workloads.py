"""The operations the benchmarks send, as the bank portal sends them."""

from __future__ import annotations

# W1: the bank portal's order page, with each order's enterprise.
ORDER_PAGE = (
    "query BankOrders($first: Int!) { loanOrders(first: $first) { totalCount "
    "pageInfo { hasNextPage endCursor } "
    "nodes { id number amount termMonths status submittedAt "
    "enterprise { id name uscc legalRepName address } } } }"
)

# W4: the bank portal's live order status.
ORDER_STATUS = (
    "subscription BankOrderStatus { loanOrderStatusChanged "
    "{ id number status amount termMonths bankReason } }"
)
