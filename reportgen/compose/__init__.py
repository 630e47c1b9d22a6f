"""District templates rendered once into the document tree that every output is made from."""
