// placeholder: the JS SDK
