/* Registering jsa_native as a built-in module of an embedded interpreter. */
#ifndef JSA_NATIVE_EMBED_H
#define JSA_NATIVE_EMBED_H

/* Adds jsa_native to the interpreter's built-in modules; call before Py_Initialize*.
 * Returns 0, or -1 when the table could not be extended. */
int jsa_native_register_builtin(void);

#endif
