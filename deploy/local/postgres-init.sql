-- One database per service, as on AWS (one RDS database each); locations also gets PostGIS.
CREATE DATABASE inventory;
CREATE DATABASE customers;
CREATE DATABASE payments;
CREATE DATABASE locations;
\connect locations
CREATE EXTENSION IF NOT EXISTS postgis;
