// Greeter actor: serves the custom weft:actors/greeter interface.
export const greeter = {
  greet(name) {
    return `hello, ${name}!`;
  },
};
