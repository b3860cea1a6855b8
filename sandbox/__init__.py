"""The sandbox: fake bank data, personas, simulations and the sandbox clock. It calls services in ``apps``;
nothing in ``apps`` imports it."""
